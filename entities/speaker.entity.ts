import { Field, ObjectType } from 'type-graphql';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Node } from './node.interface';

@ObjectType({ simpleResolvers: true, implements: [Node], description: 'A person who gives talks.' })
@Entity({ name: 'speakers' })
export class Speaker {
  @PrimaryGeneratedColumn()
  id!: number;

  @Field(() => String)
  @Column({ type: 'varchar', length: 80, unique: true })
  slug!: string;

  @Field(() => String)
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Role or title, e.g. 技术总监.' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  headline!: string | null;

  @Field(() => String, { nullable: true, description: 'Company or project, e.g. 网易有道.' })
  @Column({ type: 'varchar', length: 200, nullable: true })
  affiliation!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  bio!: string | null;

  @CreateDateColumn({ select: false })
  createdAt!: Date;

  @UpdateDateColumn({ select: false })
  updatedAt!: Date;
}
