import { Field, InputType, ObjectType } from 'type-graphql';
import { Topic } from '../../entities';
import { Connection } from './connection';

@ObjectType({ simpleResolvers: true })
export class TopicConnection extends Connection(Topic, 'Topic') {}

@InputType()
export class CreateTopicInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Generated from the name when absent.' })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateTopicInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}
